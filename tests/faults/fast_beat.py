"""`celery -A tests.faults.fast_beat beat`: the project's app and beat schedule, with
every entry due each half second, so that a test sees two beats send the sweep many
times over without waiting a minute per tick."""

from casework.celery import app

INTERVAL = 0.5

app.conf.beat_schedule = {
    name: {**entry, "schedule": INTERVAL} for name, entry in app.conf.beat_schedule.items()
}
app.conf.beat_max_loop_interval = INTERVAL
