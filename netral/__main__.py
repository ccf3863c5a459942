import sys

from netral.cli import main

sys.exit(main())
