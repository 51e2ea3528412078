s = "héllo wörld" ; x = lambda: s
