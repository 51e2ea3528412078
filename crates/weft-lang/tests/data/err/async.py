async def main():
    await thing()
