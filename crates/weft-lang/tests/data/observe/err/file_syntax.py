# observe: counter +
# observe: counter
# A syntax error in the file and one in an observer: both are reported.
counter = (
