using WorkshopKit.Training;

namespace WorkshopKit.GpuCheck;

/// <summary>The capstone's zoo table and the depth experiment trained on CUDA, saved in the same files as experiments/zoo.cs writes.</summary>
internal static class ZooResultChecks
{
    [Check("zoo-results", 62, NeedsCuda = true, TimeoutSeconds = 240,
        Description = "Trains the model zoo (8,000 training images per dataset, 3 epochs per run) and the 20-layer plain vs residual depth experiment on CUDA; writes zoo/zoo.json|csv and depth/depth.json|csv next to the results.")]
    internal static CheckOutcome ZooResults(CheckContext c)
    {
        string command = "WorkshopKit.GpuCheck <out> --require-cuda --checks zoo-results (tools/gpu-check, docs/gpu.md)";
        ZooExperiment.Zoo(c.Options.OutputFolder, 8000, c.Cuda, command, "measured on CUDA by the GPU check", c.Log);
        ZooExperiment.Depth(c.Options.OutputFolder, 8000, 20, c.Cuda, command, c.Log);
        return CheckOutcome.Pass("zoo and depth results written to " + c.Options.OutputFolder);
    }
}
