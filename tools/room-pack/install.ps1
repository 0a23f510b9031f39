# WorkshopKit room pack, attendee side (Windows x64): installs the kit from this folder with no internet.
#
#   powershell -ExecutionPolicy Bypass -File <pack>\install.ps1 [kit-folder]
#
# The same steps as install.sh (read it for the why): check the pack, find or clone the kit, point the clone's NuGet at the
# pack only (nuget.config in the clone; delete it to use nuget.org again), build the library, restore the tools.
# Written by `room-pack` from tools/room-pack/install.ps1. Not exercised by the tests (they run on Linux): report problems.
param([string]$Kit = "")
$ErrorActionPreference = "Stop"
$pack = Split-Path -Parent $MyInvocation.MyCommand.Path
function Fail($message) { Write-Error "room pack: $message"; exit 1 }

if (-not [Environment]::Is64BitOperatingSystem -or $env:PROCESSOR_ARCHITECTURE -ne "AMD64") {
  Fail "no WorkshopKit platform for $env:PROCESSOR_ARCHITECTURE Windows: TorchSharp ships a CPU libtorch for win-x64, linux-x64 and osx-arm64 only."
}
$rid = "win-x64"
$list = Join-Path $pack "platforms\$rid.txt"
if (-not (Test-Path $list)) {
  $have = (Get-ChildItem (Join-Path $pack "platforms") -Filter *.txt -ErrorAction SilentlyContinue | ForEach-Object { $_.BaseName }) -join " "
  Fail "this pack has no packages for $rid (it serves: $have). Fix: the instructor runs: dotnet run --project tools/WorkshopKit.Cli -- room-pack $pack --platform $rid"
}
$missing = @()
foreach ($line in Get-Content $list) {
  if ($line -eq "" -or $line.StartsWith("#")) { continue }
  $f = $line -split " "
  if (-not (Test-Path (Join-Path $pack "feed\$($f[2])"))) { $missing += "$($f[0]) $($f[1])" }
}
if ($missing.Count -gt 0) { Fail "the pack is incomplete for ${rid}: missing $($missing -join ', ') (in $pack\feed). Fix: copy the pack again, or the instructor runs: room-pack check $pack" }

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
  Fail "the .NET SDK is not installed. Fix: install the .NET 10 SDK (installers in the pack: $((Get-ChildItem (Join-Path $pack 'sdk') -ErrorAction SilentlyContinue | ForEach-Object Name) -join ' '))"
}
if ($Kit -eq "") { if (Test-Path "WorkshopKit.sln") { $Kit = (Get-Location).Path } else { $Kit = Join-Path (Get-Location).Path "WorkshopKit" } }
if (-not (Test-Path (Join-Path $Kit "WorkshopKit.sln"))) {
  if (Test-Path $Kit) { Fail "$Kit exists but is not a WorkshopKit clone. Fix: name another folder" }
  $bundle = Join-Path $pack "workshopkit.bundle"
  if (-not (Test-Path $bundle)) { Fail "no kit at $Kit and no workshopkit.bundle in the pack. Fix: clone the kit first" }
  if (-not (Get-Command git -ErrorAction SilentlyContinue)) { Fail "git is needed to unpack the kit from $bundle. Fix: install Git for Windows (the pack's sdk folder may hold it)" }
  git clone -q $bundle $Kit
  if ($LASTEXITCODE -ne 0) { Fail "git clone of $bundle failed" }
}
Set-Location $Kit
dotnet --version *> $null
if ($LASTEXITCODE -ne 0) { Fail "no .NET SDK that global.json accepts (10.0.4xx). Fix: install one (the pack's sdk folder)" }

$feed = Join-Path $pack "feed"
$config = @"
<?xml version="1.0" encoding="utf-8"?>
<!-- Written by the WorkshopKit room pack (install.ps1): packages come only from $feed. Delete this file to use nuget.org again. -->
<configuration>
  <packageSources>
    <clear />
    <add key="workshopkit-room-pack" value="$feed" />
  </packageSources>
</configuration>
"@
Set-Content -Path "nuget.config.tmp" -Value $config -Encoding UTF8
Move-Item -Force "nuget.config.tmp" "nuget.config"
if ((Test-Path ".git") -and -not (Select-String -Quiet -SimpleMatch "/nuget.config" ".git\info\exclude" -ErrorAction SilentlyContinue)) {
  New-Item -ItemType Directory -Force ".git\info" | Out-Null
  Add-Content ".git\info\exclude" "/nuget.config"
}

$start = Get-Date
Write-Host "room pack: building the library for $rid from $pack ..."
dotnet build lib/WorkshopKit -nologo -v quiet -clp:ErrorsOnly
if ($LASTEXITCODE -ne 0) { Fail "dotnet build lib/WorkshopKit failed (above). If it names a package, the pack lacks it: the instructor runs room-pack check $pack" }
dotnet restore tools/WorkshopKit.Cli -nologo -v quiet
if ($LASTEXITCODE -ne 0) { Fail "dotnet restore tools/WorkshopKit.Cli failed (above)" }
dotnet tool restore | Out-Null
if ($LASTEXITCODE -ne 0) { Fail "dotnet tool restore failed: run it again to see NuGet's message" }
if (Get-Command jupyter -ErrorAction SilentlyContinue) { dotnet interactive jupyter install | Out-Null; Write-Host "room pack: registered the .NET Interactive kernel with Jupyter" }
Write-Host "room pack: ready in $([int]((Get-Date) - $start).TotalSeconds) s. Next:"
Write-Host "  cd $Kit"
Write-Host "  dotnet run --project tools/WorkshopKit.Cli -- doctor"
Write-Host "  cd notebooks; jupyter notebook 00-setup.ipynb     (or VS Code, or: dotnet repl --run 00-setup.ipynb)"
