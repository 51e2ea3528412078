x = 1
break
if x:
    continue
