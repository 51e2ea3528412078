import os
import threading, sys
from collections import deque
import concurrent.futures
from threading import *
from . import sibling
