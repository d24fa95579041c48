"""Domain services: plain-Python, Qt-free; every write goes through the database's writer."""
