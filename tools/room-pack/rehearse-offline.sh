#!/usr/bin/env bash
# Rehearses a Linux attendee's morning with a room pack and NO network: in a network namespace without network
# (unshare -n, so root), with an empty NuGet cache and home folder, it runs the pack's install.sh as documented, then
# executes notebooks in dotnet-repl and in Jupyter (nbconvert with the .NET Interactive kernel, when jupyter is installed).
# RoomPackTests runs it; instructors can run it on a spare Linux machine before the workshop.
#
#   sudo bash tools/room-pack/rehearse-offline.sh <pack> <work-folder> [<kit-folder>] [notebook ...]
#
# <kit-folder>: a WorkshopKit checkout whose files (tracked and untracked, not ignored) are copied as the attendee's clone;
# "-" clones the pack's workshopkit.bundle instead, as an attendee without a clone would. Notebooks default to
# 00-setup 01-convolutional-layers. REHEARSE_JUPYTER="00-setup" limits the Jupyter runs to the notebooks it names (both
# clients restore the same first cell's packages from the pack; RoomPackTests uses it to stay within CI's time). Prints one "rehearse: ..." line per step with its seconds, and the disk the attendee
# used; exits non-zero at the first failure.
set -euo pipefail
if [[ ${1:-} != --inside ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "rehearse: needs root: it takes the network away with unshare -n (a network namespace), which an ordinary user cannot. Fix: sudo bash $0 $*" >&2
    exit 3
  fi
  command -v unshare >/dev/null || { echo "rehearse: unshare (util-linux) not found. Fix: apt-get install util-linux" >&2; exit 3; }
  exec unshare -n -- bash "$0" --inside "$@"
fi
shift
pack=$(cd "$1" && pwd); work=$2; source=${3:--}; shift 3 || shift $#
notebooks=("$@"); ((${#notebooks[@]})) || notebooks=(00-setup 01-convolutional-layers)

# Loopback only: Jupyter talks to its kernel over 127.0.0.1, and a new namespace starts with lo down.
ip link set lo up 2>/dev/null || true
if timeout 5 bash -c 'exec 3<>/dev/tcp/1.1.1.1/443' 2>/dev/null || getent hosts api.nuget.org >/dev/null 2>&1; then
  echo "rehearse: the network is reachable inside the namespace; this is not an offline rehearsal" >&2; exit 4
fi
echo "rehearse: no network (unshare -n): 1.1.1.1:443 unreachable, api.nuget.org does not resolve"

rm -rf "$work"; mkdir -p "$work/home" "$work/out"
work=$(cd "$work" && pwd)
export HOME=$work/home NUGET_PACKAGES=$work/home/.nuget/packages NUGET_HTTP_CACHE_PATH=$work/home/.local/share/NuGet/http-cache
export JUPYTER_DATA_DIR=$work/jupyter DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 PYDEVD_DISABLE_FILE_VALIDATION=1
kit=$work/kit
if [[ $source != - ]]; then
  mkdir -p "$kit"
  git -C "$source" ls-files -z -co --exclude-standard | tar -C "$source" --null -T - -cf - | tar -C "$kit" -xf -
fi

step() { local name=$1; shift; local t0=$SECONDS; "$@" > "$work/out/$name.log" 2>&1 || { echo "rehearse: FAILED: $name (exit $?); log:" >&2; tail -40 "$work/out/$name.log" >&2; exit 1; }; echo "rehearse: $name $((SECONDS - t0)) s"; }
step install bash "$pack/install.sh" "$kit"
echo "rehearse: disk after install: NuGet cache $(du -sb "$NUGET_PACKAGES" | cut -f1) bytes, kit $(du -sb "$kit" | cut -f1) bytes"
cd "$kit/notebooks"
for nb in "${notebooks[@]}"; do
  step "repl-$nb" dotnet repl --run "$nb.ipynb" --exit-after-run --output-format ipynb --output-path "$work/out/repl-$nb.ipynb"
done
read -r -a jupyter_notebooks <<< "${REHEARSE_JUPYTER:-${notebooks[*]}}"
if command -v jupyter >/dev/null; then
  for nb in "${jupyter_notebooks[@]}"; do
    step "jupyter-$nb" jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=600 \
      "$nb.ipynb" --output-dir "$work/out" --output "jupyter-$nb.ipynb"
  done
else
  echo "rehearse: jupyter not installed here: only dotnet-repl ran the notebooks"
fi
echo "rehearse: disk at the end: NuGet cache $(du -sb "$NUGET_PACKAGES" | cut -f1) bytes, kit $(du -sb "$kit" | cut -f1) bytes"
echo "rehearse: OK"
