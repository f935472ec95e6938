"""Entry point: `flask --app app run`, gunicorn 'app:app', or `python app.py` to set up and run."""

from quiz import create_app

app = create_app()

if __name__ == "__main__":
    from quiz.cli import serve_local

    serve_local(app)
