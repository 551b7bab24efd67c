from funneldesk.cli import main

# guarded: an import's worker processes start by importing the main module again
if __name__ == "__main__":
    raise SystemExit(main())
