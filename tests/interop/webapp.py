"""A minimal stand-in for the web app: its User model as the tutorial in shared/seed defines it
(Flask-SQLAlchemy, werkzeug's generate_password_hash / check_password_hash), and a login that
records last_login_at and login_count."""

import datetime

from flask import Flask
from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.dialects.postgresql import INTEGER, TEXT, TIMESTAMP
from werkzeug.security import check_password_hash, generate_password_hash

from harness import DatabaseTest, server

db = SQLAlchemy()


class User(UserMixin, db.Model):
    """Create a User model for the "public.users" database table"""

    __tablename__ = "users"

    id = db.Column(INTEGER, primary_key=True)
    email = db.Column(TEXT, unique=True, nullable=False)
    first_name = db.Column(TEXT, nullable=False)
    last_name = db.Column(TEXT, nullable=False)
    password_hash = db.Column(TEXT, nullable=False)

    last_login_at = db.Column(TIMESTAMP)
    login_count = db.Column(INTEGER)

    @property
    def password(self):
        raise AttributeError("password is not a readable attribute.")

    @password.setter
    def password(self, password):
        self.password_hash = generate_password_hash(password)

    def verify_password(self, password):
        return check_password_hash(self.password_hash, password)


def create_app(database_uri):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri
    app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = False
    db.init_app(app)
    return app


def register(email, first_name, last_name, password):
    """The app's registration: email.lower(), names, hashed password."""
    user = User(email=email.lower(), first_name=first_name, last_name=last_name)
    user.password = password
    db.session.add(user)
    db.session.commit()
    return user


def login(email, password):
    """The app's login: look up by email.lower(), check the hash, record the login."""
    user = User.query.filter_by(email=email.lower()).first()
    if user is None or not user.verify_password(password):
        return False
    user.last_login_at = datetime.datetime.utcnow()
    user.login_count = (user.login_count or 0) + 1
    db.session.commit()
    return True


class AppDatabaseTest(DatabaseTest):
    """A fresh database (see harness.DatabaseTest) with the app running on it, in its own
    SQLAlchemy URL form, inside an app context."""

    def setUp(self):
        super().setUp()
        host, port = server()
        self.sqlalchemy_uri = "postgresql+psycopg2://postgres@/%s?host=%s&port=%s" % (self.dbname, host, port)
        self.app = create_app(self.sqlalchemy_uri)
        self.ctx = self.app.app_context()
        self.ctx.push()

    def tearDown(self):
        db.session.remove()
        db.engine.dispose()
        self.ctx.pop()
        super().tearDown()
