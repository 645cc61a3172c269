"""gunicorn's settings for every web process: the image's CMD and docker-compose's `web`
start gunicorn in the project folder, where it reads this file (options given on the
command line win over it).

The application is loaded once, in the master, before the workers are forked. A worker
then starts with the master's memory shared copy-on-write, and the pages of the shared
libraries that only the imports touched (about 17 MB of 28 MB, measured by bench-feeds) are
never mapped into it, so each worker's resident memory starts at about 95 MB instead of
113 MB. Nothing opens a database connection, a socket or a thread while the application
loads, so nothing is shared by the workers that must not be; the push client drops its
connection pool in a forked child (distribution/push/client.py). A new release is
deployed by restarting gunicorn (a HUP re-forks workers from the master's loaded code).
"""

preload_app = True
