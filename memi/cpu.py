"""CPU-heavy work (bcrypt, photo re-encoding) kept off the event loop under gevent.

Under gunicorn's gevent worker every request and open WebSocket of a process shares one OS thread,
so a quarter-second bcrypt check or a photo re-encode would freeze all of them. bcrypt and Pillow
release the GIL, so run in gevent's thread pool they let the loop go on. Without gevent (gthread,
the CLI, tests) the function is simply called.
"""


def _gevent_patched():
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("socket")


def run_cpu_bound(fn, *args, **kwargs):
    """`fn(*args, **kwargs)`, in a real thread when gevent runs the process. `fn` must not need the
    Flask app or request context (it runs outside them there). Its exceptions reach the caller."""
    if not _gevent_patched():
        return fn(*args, **kwargs)
    import gevent

    # Exceptions come back as values: gevent's pool would print a traceback for every refused photo.
    ok, value = gevent.get_hub().threadpool.apply(_capture, (fn, args, kwargs))
    if not ok:
        raise value
    return value


def _capture(fn, args, kwargs):
    try:
        return True, fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - handed to the caller, who raises it
        return False, exc
