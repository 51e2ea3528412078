import threading

results = []


class Base(threading.Thread):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra = "base"


class Job(Base):
    def __init__(self, label):
        super().__init__(target=results.append, args=(label,), name=f"job-{label}")

    def run(self):
        results.append(("before", self.name, self.extra))
        super().run()


jobs = [Job(label) for label in "ab"]
for job in jobs:
    job.start()
    job.join()
print(results)


class Quiet(threading.Thread):
    def __init__(self):
        super().__init__()
        self.daemon = False


quiet = Quiet()
quiet.start()
quiet.join()
print(quiet.name.startswith("Thread-"), quiet.is_alive())
