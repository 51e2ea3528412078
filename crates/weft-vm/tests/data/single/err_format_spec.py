# A bad format spec.
print(f"{3.5:.1f}")
print(f"{'abc':d}")
