s = "héllo wörld" ; x = {s}
