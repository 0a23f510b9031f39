using WorkshopKit.Setup;

Console.WriteLine(TorchRuntime.Initialize());
return 0;
