#!/usr/bin/env bash
# WorkshopKit room pack, attendee side (Linux x64, macOS arm64): installs the kit from this folder with no internet.
#
#   bash <pack>/install.sh [kit-folder]
#
# kit-folder: your clone of WorkshopKit (default: the current folder if it is one, else ./WorkshopKit, cloned from the
# pack's workshopkit.bundle). Afterwards the clone restores NuGet packages only from this pack (it writes nuget.config in
# the clone; delete that file to use nuget.org again), the library is built, and the kernel and dotnet-repl are installed.
# Needs: the .NET 10 SDK (the pack's sdk/ folder may hold its installer), git when the kit is cloned from the bundle.
# Written by `room-pack` from tools/room-pack/install.sh; docs/room-pack.md explains the pack.
set -euo pipefail
pack=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { printf 'room pack: %s\n' "$*" >&2; exit 1; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64 ;;
  Darwin-arm64) rid=osx-arm64 ;;
  *) fail "no WorkshopKit platform for $(uname -s) $(uname -m): TorchSharp ships a CPU libtorch for linux-x64, osx-arm64 and win-x64 (install.ps1) only." ;;
esac

# 1. The pack serves this platform and holds every package on its list.
list="$pack/platforms/$rid.txt"
if [[ ! -f $list ]]; then
  have=$(ls "$pack/platforms" 2>/dev/null | sed 's/\.txt$//' | tr '\n' ' ')
  fail "this pack has no packages for $rid (it serves: ${have:-nothing}). Fix: the instructor runs: dotnet run --project tools/WorkshopKit.Cli -- room-pack $pack --platform $rid"
fi
missing=()
while read -r id version file; do
  [[ -z ${id:-} || $id == \#* ]] && continue
  [[ -f "$pack/feed/$file" ]] || missing+=("$id $version")
done < "$list"
if ((${#missing[@]})); then
  fail "the pack is incomplete for $rid: missing $(printf '%s, ' "${missing[@]}" | sed 's/, $//') (in $pack/feed/). Fix: copy the pack again from the instructor, or the instructor runs: room-pack check $pack"
fi

# 2. The .NET SDK.
command -v dotnet >/dev/null || fail "the .NET SDK is not installed. Fix: install the .NET 10 SDK (installers the instructor put in the pack: $(ls "$pack/sdk" 2>/dev/null | tr '\n' ' '))"

# 3. The kit: an existing clone, or a clone of the pack's bundle.
kit=${1:-}
if [[ -z $kit ]]; then
  if [[ -f WorkshopKit.sln ]]; then kit=$PWD; else kit=$PWD/WorkshopKit; fi
fi
if [[ ! -f $kit/WorkshopKit.sln ]]; then
  [[ ! -e $kit ]] || fail "$kit exists but is not a WorkshopKit clone (no WorkshopKit.sln). Fix: name another folder: bash $pack/install.sh <new-folder>"
  [[ -f $pack/workshopkit.bundle ]] || fail "no kit at $kit and no workshopkit.bundle in the pack. Fix: clone the kit first, then run bash $pack/install.sh <clone>"
  command -v git >/dev/null || fail "git is needed to unpack the kit from $pack/workshopkit.bundle. Fix: install git, or copy a clone from a neighbour"
  git clone -q "$pack/workshopkit.bundle" "$kit"
fi
kit=$(cd "$kit" && pwd)
cd "$kit"
dotnet --version >/dev/null 2>&1 || fail "no .NET SDK that global.json accepts ($(tr -d '\n ' < global.json)); installed: $(dotnet --list-sdks | cut -d' ' -f1 | tr '\n' ' '). Fix: install a .NET 10.0.4xx SDK (the pack's sdk/ folder: $(ls "$pack/sdk" 2>/dev/null | tr '\n' ' '))"

# 4. Every restore in this clone comes from the pack (and only from it: no waiting on nuget.org over a dead link).
cat > nuget.config.tmp <<EOF
<?xml version="1.0" encoding="utf-8"?>
<!-- Written by the WorkshopKit room pack (install.sh): packages come only from $pack/feed. Delete this file to use nuget.org again. -->
<configuration>
  <packageSources>
    <clear />
    <add key="workshopkit-room-pack" value="$pack/feed" />
  </packageSources>
</configuration>
EOF
mv nuget.config.tmp nuget.config
if [[ -d .git ]] && ! grep -qx '/nuget.config' .git/info/exclude 2>/dev/null; then
  mkdir -p .git/info && echo '/nuget.config' >> .git/info/exclude
fi

# 5. Build the library (what the notebooks' first cell loads), restore the command-line tool's packages (doctor, student),
#    install the kernel and dotnet-repl, and register the kernel with Jupyter where Jupyter is installed.
start=$(date +%s)
echo "room pack: building the library for $rid from $pack ..."
dotnet build lib/WorkshopKit -nologo -v quiet -clp:ErrorsOnly || fail "dotnet build lib/WorkshopKit failed (above). If it names a package, the pack lacks it: the instructor runs room-pack check $pack"
dotnet restore tools/WorkshopKit.Cli -nologo -v quiet || fail "dotnet restore tools/WorkshopKit.Cli failed (above)"
dotnet tool restore >/dev/null || fail "dotnet tool restore failed: run it again to see NuGet's message"
if command -v jupyter >/dev/null; then
  dotnet interactive jupyter install >/dev/null && echo "room pack: registered the .NET Interactive kernel with Jupyter"
fi
echo "room pack: ready in $(( $(date +%s) - start )) s. Next:"
echo "  cd $kit"
echo "  dotnet run --project tools/WorkshopKit.Cli -- doctor        # is this machine ready (about a minute)"
echo "  cd notebooks && jupyter notebook 00-setup.ipynb              # or VS Code, or: dotnet repl --run 00-setup.ipynb"
