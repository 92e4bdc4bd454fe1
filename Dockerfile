# The custom plotly.js bundle (static/build/plotly.min.js), built from package-lock.json; only the built file
# reaches the application image, neither node nor node_modules.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src static/src
RUN npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .
COPY . .
COPY --from=assets /build/static/build static/build
# The static files and their manifest are part of the image (staticfiles/ is in .dockerignore). The key only
# lets the settings load here; the container gets its own from the environment.
RUN DJANGO_SECRET_KEY=build-only-not-secret python manage.py collectstatic --no-input --verbosity 0

RUN useradd --system --home /app cchc && chown -R cchc /app
USER cchc
EXPOSE 8000
# gunicorn bounds the request line and the headers; cchc.middleware.RequestSizeLimitMiddleware the body.
CMD ["sh", "-c", "python manage.py migrate --no-input && exec gunicorn cchc.wsgi --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --limit-request-line 4094 --limit-request-fields 50 --limit-request-field_size 8190 --access-logfile -"]
