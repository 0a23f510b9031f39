#:project ../lib/WorkshopKit/WorkshopKit.csproj

// A .NET 10 file-based app: `dotnet run samples/hello-torch.cs` from the repository root.
// It shows that WorkshopKit's TorchSharp setup also works outside projects and notebooks.
using TorchSharp;
using WorkshopKit.Runtime;
using WorkshopKit.Setup;
using static TorchSharp.torch;

var runtime = TorchRuntime.Initialize();
var choice = Devices.Pick();
Console.WriteLine($"TorchSharp {runtime.TorchSharpVersion}, libtorch from {runtime.LibTorchSource}");
Console.WriteLine($"device: {choice}");

// A 4x4 image holding 1..16 and a 3x3 kernel of ones: each output pixel is the sum of a 3x3 window.
using var image = arange(1, 17, dtype: ScalarType.Float32, device: choice.Device).reshape(1, 1, 4, 4);
using var kernel = ones(1, 1, 3, 3, device: choice.Device);
using var output = nn.functional.conv2d(image, kernel);
Console.WriteLine($"conv2d shape: [{string.Join(", ", output.shape)}]");
Console.WriteLine($"conv2d values: {string.Join(" ", output.cpu().data<float>().ToArray())}");
