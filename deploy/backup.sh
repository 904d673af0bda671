#!/usr/bin/env bash
# Back up 红纽带: the PostgreSQL database (pg_dump custom format) and the uploaded files
# (photos and documents of matters, import files: $HND_VAR_DIR/media), keeping KEEP_DAYS days.
#
#   sudo -u hongniudai /srv/hongniudai/deploy/backup.sh          # by hand
#   systemctl enable --now hongniudai-backup.timer                # nightly (deploy/systemd/)
#
# Reads DATABASE_URL and HND_VAR_DIR from the environment or from /etc/hongniudai/env.
#   BACKUP_DIR  where the files go (default /var/backups/hongniudai); copy it off the machine
#   KEEP_DAYS   days of backups kept (default 14)
#
# NOT in the backup: /etc/hongniudai/env. Without its FIELD_ENCRYPTION_KEY the ID numbers in
# the dump cannot be read or searched. Keep a copy of that file apart from these backups.
#
# Restore (docs/deploy.md, "Restore"):
#   systemctl stop 'hongniudai-web@*' hongniudai-worker
#   sudo -u postgres dropdb hongniudai && sudo -u postgres createdb -O hongniudai hongniudai
#   sudo -u hongniudai pg_restore --no-owner --no-privileges --exit-on-error \
#        --dbname="$DATABASE_URL" /var/backups/hongniudai/db-<stamp>.dump
#   sudo -u hongniudai tar -xzf /var/backups/hongniudai/media-<stamp>.tar.gz -C /var/lib/hongniudai
#   sudo -u hongniudai .venv/bin/python manage.py migrate   # when the code is newer than the dump
#   systemctl start hongniudai-web@8001 hongniudai-web@8002 hongniudai-worker
set -euo pipefail
umask 077

ENV_FILE=${ENV_FILE:-/etc/hongniudai/env}
if [[ -z "${DATABASE_URL:-}" && -r "$ENV_FILE" ]]; then
  set -a
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  set +a
fi
: "${DATABASE_URL:?DATABASE_URL 未设置 / DATABASE_URL is not set}"
VAR_DIR=${HND_VAR_DIR:-/var/lib/hongniudai}
BACKUP_DIR=${BACKUP_DIR:-/var/backups/hongniudai}
KEEP_DAYS=${KEEP_DAYS:-14}
STAMP=$(date +%Y%m%d-%H%M%S)

mkdir -p "$BACKUP_DIR"

# The database: custom format (compressed, restores table by table, selectively if needed).
# Written under a temporary name and checked before it takes its real name.
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
        --file="$BACKUP_DIR/db-$STAMP.dump.partial" --dbname="$DATABASE_URL"
pg_restore --list "$BACKUP_DIR/db-$STAMP.dump.partial" >/dev/null
mv "$BACKUP_DIR/db-$STAMP.dump.partial" "$BACKUP_DIR/db-$STAMP.dump"

# The uploaded files (taken after the dump: every file the dump names is in the archive).
if [[ -d "$VAR_DIR/media" ]]; then
  tar -czf "$BACKUP_DIR/media-$STAMP.tar.gz.partial" -C "$VAR_DIR" media
  mv "$BACKUP_DIR/media-$STAMP.tar.gz.partial" "$BACKUP_DIR/media-$STAMP.tar.gz"
fi

# Rotation: drop what is older than KEEP_DAYS days, and leftovers of interrupted runs.
find "$BACKUP_DIR" -maxdepth 1 -type f \( -name 'db-*.dump' -o -name 'media-*.tar.gz' \) \
     -mtime "+$KEEP_DAYS" -delete
find "$BACKUP_DIR" -maxdepth 1 -type f -name '*.partial' -mmin +720 -delete

echo "backup $STAMP: $(du -h "$BACKUP_DIR/db-$STAMP.dump" | cut -f1) database, kept in $BACKUP_DIR"
