import concurrent.futures
import concurrent.futures as futures
from concurrent import futures as pool
from concurrent.futures import ThreadPoolExecutor
import queue, logging, random, sys
