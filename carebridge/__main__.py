from carebridge.cli import main

main()
