# A class attribute written through the class and read through an instance. DPOR once ran one
# schedule and never printed "verbose": the read was recorded on the instance, the write on
# the class. Dependence now comes from what each step really read (the lookup falls through to
# the class, so it reads the class's attribute).
import threading


class Config:
    verbose = True


cfg = Config()


def worker():
    if cfg.verbose:
        print("verbose")


t = threading.Thread(target=worker)
t.start()
Config.verbose = False
t.join()
