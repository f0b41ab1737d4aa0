from memi import create_app

app = create_app()
