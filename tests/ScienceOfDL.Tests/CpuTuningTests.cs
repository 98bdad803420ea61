using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

/// <summary>A fact that can only be checked on Linux x64 (the ELF lookup, glibc's allocator): skipped, and reported
/// as skipped, elsewhere.</summary>
public sealed class LinuxX64FactAttribute : FactAttribute
{
    public static bool LinuxX64 =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public LinuxX64FactAttribute()
    {
        if (!LinuxX64)
            Skip = "needs Linux x64";
        else if (Environment.GetEnvironmentVariable(CpuTuning.Variable)?.Trim().ToLowerInvariant() == "off")
            Skip = $"{CpuTuning.Variable}=off: nothing was tuned";
    }
}

/// <summary>A fact about MKL's kernels on an AMD processor with AVX-512, where the opt-in redirect applies: skipped,
/// and reported as skipped, on other processors or without the opt-in.</summary>
public sealed class AmdAvx512FactAttribute : FactAttribute
{
    public AmdAvx512FactAttribute()
    {
        var amd =
            X86Base.IsSupported
            && X86Base.CpuId(0, 0) is var (_, ebx, ecx, edx)
            && (ebx, edx, ecx) == (0x68747541, 0x69746e65, 0x444d4163); // "Auth" "enti" "cAMD"
        if (!LinuxX64FactAttribute.LinuxX64 || !amd || !Avx512F.IsSupported)
            Skip = "needs an AMD processor with AVX-512 on Linux x64";
        else if (Environment.GetEnvironmentVariable(CpuTuning.MklOptIn) != "1")
            Skip = $"{CpuTuning.MklOptIn} is not 1 in this process";
    }
}

/// <summary>The process-wide CPU settings (applied to this test process by its module initializer, as to the
/// notebooks) and the ELF lookup behind them.</summary>
public class CpuTuningTests
{
    /// <summary>libtorch_cpu.so's path and load address, from this process's memory map.</summary>
    static (string Path, nint Base) Libtorch()
    {
        InitializeDeviceType(TorchSharp.DeviceType.CPU);
        var line = File.ReadAllLines("/proc/self/maps")
            .Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .First(p => p.Length == 6 && p[5].EndsWith("/libtorch_cpu.so") && Convert.ToInt64(p[2], 16) == 0);
        return (line[5], (nint)Convert.ToInt64(line[0].Split('-')[0], 16));
    }

    [LinuxX64Fact]
    public void The_jump_slot_lookup_finds_libtorchs_own_symbol_and_nothing_else()
    {
        var (path, loadedAt) = Libtorch();
        var found = ElfJumpSlot.Find(path, "mkl_serv_intel_cpu_true");
        Assert.NotNull(found);
        // The symbol's offset from the file, plus where the library was loaded, is where the dynamic linker put it.
        var export = NativeLibrary.GetExport(NativeLibrary.Load(path), "mkl_serv_intel_cpu_true");
        Assert.Equal(export, loadedAt + (nint)found.Value.Symbol);
        Assert.NotEqual(found.Value.Symbol, found.Value.Slot);
        Assert.Null(ElfJumpSlot.Find(path, "no_such_symbol_in_libtorch"));
        var text = Path.GetTempFileName();
        try
        {
            File.WriteAllText(text, new string('x', 200));
            Assert.Null(ElfJumpSlot.Find(text, "mkl_serv_intel_cpu_true"));
        }
        finally
        {
            File.Delete(text);
        }
    }

    [LinuxX64Fact]
    public void The_allocator_setting_is_applied_once_and_the_MKL_redirect_only_when_opted_in_on_AMD_with_AVX512()
    {
        var report = CpuTuning.Status;
        Assert.Same(report, CpuTuning.Apply()); // once per process
        Assert.True(report.MallocKeepsFreedMemory, report.Detail);
        Assert.Contains("malloc keeps freed memory", report.Detail);
        if (!report.MklAnsweredIntel)
            Assert.Contains("as chosen by MKL", report.Detail);
        if (Environment.GetEnvironmentVariable(CpuTuning.MklOptIn) != "1")
            Assert.False(report.MklAnsweredIntel, $"patched without {CpuTuning.MklOptIn}=1: {report.Detail}");
    }

    [AmdAvx512Fact]
    public void Opted_in_on_AMD_with_AVX512_MKL_takes_its_AVX512_kernels()
    {
        var report = CpuTuning.Status;
        Assert.True(report.MklAnsweredIntel, report.Detail);
        Assert.NotEqual(0, CpuTuning.MklCodePath()); // 0: MKL's generic path, its choice for AMD processors
    }
}
