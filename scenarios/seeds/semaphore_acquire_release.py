# notes 000, "Semaphores": acquire a Semaphore, work on the shared resource, release it.
# Completed: `import threading`, and the note's `...` placeholder for the work became a print.
# python3: always "working on the shared resource".
import threading

semaphore = threading.Semaphore()
semaphore.acquire()
# work on a shared resource
print("working on the shared resource")
semaphore.release()
