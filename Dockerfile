FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements/base.txt requirements/
RUN pip install -r requirements/base.txt
COPY . .
# Static files collected as production serves them (WhiteNoise's manifest of hashed, compressed
# names); the key and hosts only let the settings load, the real ones come at run time.
RUN DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=collectstatic-only \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
RUN useradd --create-home fazhi
USER fazhi
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
