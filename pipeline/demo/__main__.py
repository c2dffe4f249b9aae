import sys

from pipeline.demo import main

sys.exit(main(sys.argv[1:]))
