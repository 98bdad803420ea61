using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace ScienceOfDL;

/// <summary>
/// Two process-wide settings that make TorchSharp's CPU work faster on Linux, applied by <see cref="Apply"/> before any
/// tensor work (the notebooks' setup cell, the benchmarks and the tests call it first). The allocator setting is on by
/// default; the MKL one patches libtorch in memory, so it is opt-in (<c>SODL_MKL_ON_AMD=1</c>, which the project's
/// scripts set) and never happens in, say, a student's editor kernel unless asked for. <c>SODL_CPU_TUNING=off</c>
/// leaves both alone. Neither changes what is computed, only how fast: results agree to float rounding.
/// <list type="bullet">
/// <item>MKL's kernels on AMD processors. libtorch links Intel's MKL, which picks its matrix-multiply kernels by
/// vendor: on a Zen 5 EPYC (AVX-512) it took its generic path (<see cref="MklCodePath"/> 0; 78 GFLOP/s per thread,
/// 172 with its AVX-512 kernels, path 7; ONNX Runtime uses AVX-512 there). MKL asks its function
/// <c>mkl_serv_intel_cpu_true</c> once, at its first matrix multiply; like the well-known LD_PRELOAD workaround, we
/// bind libtorch's call of that function (its jump slot) to one that answers yes. Only on AMD processors with
/// AVX-512, only when opted in, and only effective before MKL's first matrix multiply in the process.</item>
/// <item>glibc's allocator. libtorch frees each intermediate tensor and allocates the next; glibc returns allocations
/// above its mmap threshold, and freed memory at the top of its heaps, to the kernel, so every forward pass faulted
/// its activations' pages in again (a third of the MiniLM benchmark's time was system time). A 32 MiB mmap threshold
/// (glibc's own ceiling for the threshold it adapts) and a 1 GiB trim threshold keep that memory for reuse.</item>
/// </list>
/// </summary>
/// <summary>What <see cref="CpuTuning.Apply"/> did: whether glibc's allocator now keeps freed memory, whether MKL's
/// vendor check was answered (its AVX-512 kernels on AMD), and in words why or why not.</summary>
public sealed record CpuTuningReport(bool MallocKeepsFreedMemory, bool MklAnsweredIntel, string Detail)
{
    public override string ToString() => Detail;
}

public static class CpuTuning
{
    public const string Variable = "SODL_CPU_TUNING",
        MklOptIn = "SODL_MKL_ON_AMD";
    const string MklVendorCheck = "mkl_serv_intel_cpu_true";
    const int MmapThreshold = -3,
        TrimThreshold = -1; // mallopt's M_MMAP_THRESHOLD, M_TRIM_THRESHOLD

    static readonly object Gate = new();
    static CpuTuningReport? report;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate int IntFunction();

    // Kept in a static field: MKL holds a pointer to it for the life of the process.
    static readonly IntFunction AnswerIntel = () => 1;

    /// <summary>What <see cref="Apply"/> did (for a notebook's or benchmark's report).</summary>
    public static CpuTuningReport Status => report ?? new(false, false, "not applied");

    /// <summary>Applies the settings once per process (later calls only return <see cref="Status"/>).</summary>
    public static CpuTuningReport Apply()
    {
        lock (Gate)
        {
            if (report is not null)
                return report;
            if (Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() == "off")
                return report = new(false, false, $"off ({Variable}=off)");
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
                return report = new(false, false, "none (Linux x64 only)");
            var malloc = mallopt(MmapThreshold, 32 << 20) == 1 && mallopt(TrimThreshold, 1 << 30) == 1;
            var (answered, mkl) =
                Environment.GetEnvironmentVariable(MklOptIn)?.Trim() == "1"
                    ? MklKernels()
                    : (false, $"as chosen by MKL ({MklOptIn} is not 1)");
            return report = new(
                malloc,
                answered,
                $"{(malloc ? "malloc keeps freed memory" : "malloc unchanged (mallopt refused)")}; MKL {mkl}"
            );
        }
    }

    static (bool Answered, string Detail) MklKernels()
    {
        (bool, string) Left(string why) => (false, $"as chosen by MKL ({why})");
        if (!X86Base.IsSupported || Vendor() != "AuthenticAMD")
            return Left("not an AMD processor");
        if (!Avx512F.IsSupported)
            return Left("no AVX-512");
        InitializeDeviceType(TorchSharp.DeviceType.CPU); // loads libtorch
        var maps = File.ReadAllLines("/proc/self/maps")
            .Select(Mapping.Parse)
            .Where(m => m is not null)
            .Select(m => m!)
            .ToArray();
        var library = maps.FirstOrDefault(m => m.Path.EndsWith("/libtorch_cpu.so"))?.Path;
        if (library is null)
            return Left("libtorch_cpu.so not loaded");
        if (ElfJumpSlot.Find(library, MklVendorCheck) is not { } found)
            return Left($"no jump slot for {MklVendorCheck}");
        var original = NativeLibrary.GetExport(NativeLibrary.Load(library), MklVendorCheck);
        var slot = original - (nint)found.Symbol + (nint)found.Slot;
        var bound = Marshal.ReadIntPtr(slot);
        // The slot holds the function itself (bound) or a stub inside the library (not yet bound); anything else
        // means someone else redirected it, and a slot in a read-only page cannot be written.
        var inLibrary = maps.Any(m => m.Path == library && m.Contains(bound));
        if (bound != original && !inLibrary)
            return Left("its vendor check is already redirected");
        if (!maps.Any(m => m.Path == library && m.Contains(slot) && m.Writable))
            return Left("jump slot is read-only");
        Marshal.WriteIntPtr(slot, Marshal.GetFunctionPointerForDelegate(AnswerIntel));
        return (true, $"AVX-512 kernels on AMD (vendor check answered; MKL's code path {MklCodePath()})");
    }

    /// <summary>MKL's own report of the kernels it dispatches to (<c>mkl_serv_cpu_detect</c>): 0 for its generic
    /// path, which it takes on AMD processors; higher for the Intel paths (7 on a Zen 5 EPYC once answered).</summary>
    public static int MklCodePath()
    {
        InitializeDeviceType(TorchSharp.DeviceType.CPU);
        var library = File.ReadAllLines("/proc/self/maps")
            .Select(Mapping.Parse)
            .FirstOrDefault(m => m is not null && m.Path.EndsWith("/libtorch_cpu.so"))
            ?.Path
            ?? throw new InvalidOperationException("libtorch_cpu.so is not loaded");
        var detect = NativeLibrary.GetExport(NativeLibrary.Load(library), "mkl_serv_cpu_detect");
        return Marshal.GetDelegateForFunctionPointer<IntFunction>(detect)();
    }

    static string Vendor()
    {
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        return string.Concat(
            new[] { ebx, edx, ecx }.Select(r => System.Text.Encoding.ASCII.GetString(BitConverter.GetBytes(r)))
        );
    }

    sealed record Mapping(nint Start, nint End, bool Writable, string Path)
    {
        public bool Contains(nint address) => address >= Start && address < End;

        /// <summary>A line of /proc/self/maps: "start-end perms offset dev inode path".</summary>
        public static Mapping? Parse(string line)
        {
            var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 6)
                return null;
            var range = parts[0].Split('-');
            return new Mapping(
                (nint)Convert.ToInt64(range[0], 16),
                (nint)Convert.ToInt64(range[1], 16),
                parts[1].StartsWith("rw"),
                parts[5].Trim()
            );
        }
    }

    [DllImport("libc")]
    static extern int mallopt(int parameter, int value);
}
