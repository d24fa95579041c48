# Sourced by run-demo and run-tests: make sure uv is available and set UV=(command).
if command -v uv >/dev/null 2>&1; then
    UV=(uv)
elif python3 -m uv --version >/dev/null 2>&1; then
    UV=(python3 -m uv)
else
    echo "Installing uv (the Python project manager) with pip…" >&2
    python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
    UV=(python3 -m uv)
fi
