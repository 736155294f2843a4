from payables.cli import main

main()
