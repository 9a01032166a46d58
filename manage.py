#!/usr/bin/env python
from jingkai.cli import main

if __name__ == "__main__":
    main()
