using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

/// <summary>The process-wide CPU settings (applied to this test process by its module initializer, as to the
/// notebooks) and the ELF lookup behind them.</summary>
public class CpuTuningTests
{
    static bool LinuxX64 => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>libtorch_cpu.so's path and load address, from this process's memory map.</summary>
    static (string Path, nint Base) Libtorch()
    {
        InitializeDeviceType(TorchSharp.DeviceType.CPU);
        var line = File.ReadAllLines("/proc/self/maps")
            .Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .First(p => p.Length == 6 && p[5].EndsWith("/libtorch_cpu.so") && Convert.ToInt64(p[2], 16) == 0);
        return (line[5], (nint)Convert.ToInt64(line[0].Split('-')[0], 16));
    }

    [Fact]
    public void The_jump_slot_lookup_finds_libtorchs_own_symbol_and_nothing_else()
    {
        if (!LinuxX64) return;
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
        finally { File.Delete(text); }
    }

    [Fact]
    public void The_tuning_reports_what_it_did_and_MKL_agrees()
    {
        var status = CpuTuning.Status;
        Assert.Equal(status, CpuTuning.Apply()); // once per process
        if (Environment.GetEnvironmentVariable(CpuTuning.Variable) == "off" || !LinuxX64) return;
        Assert.Contains("malloc keeps freed memory", status);
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        var amd = (ebx, edx, ecx) == (0x68747541, 0x69746e65, 0x444d4163); // "Auth" "enti" "cAMD"
        if (amd && Avx512F.IsSupported)
        {
            Assert.Contains("AVX-512 kernels on AMD", status);
            Assert.NotEqual(0, CpuTuning.MklCodePath()); // 0: MKL's generic path, its choice for AMD processors
        }
        else Assert.DoesNotContain("AVX-512 kernels", status);
    }
}
