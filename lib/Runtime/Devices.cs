using TorchSharp;
using static TorchSharp.torch;

namespace ScienceOfDL;

/// <summary>Device choice: CUDA when TorchSharp sees one (a notebook that references TorchSharp-cuda-*), else CPU.
/// <c>SODL_DEVICE=cpu</c> forces the CPU.</summary>
public static class Devices
{
    public static Device Best()
    {
        var forced = Environment.GetEnvironmentVariable("SODL_DEVICE");
        if (forced is not null && forced.Length > 0)
            return new Device(forced);
        return cuda.is_available() ? CUDA : CPU;
    }

    public static string Describe(Device device) =>
        device.type == DeviceType.CUDA
            ? $"CUDA ({cuda.device_count()} device(s))"
            : $"CPU ({get_num_threads()} threads)";
}
