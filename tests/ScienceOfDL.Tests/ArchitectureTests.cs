using System.Reflection;
using System.Reflection.Emit;
using ScienceOfDL.Notebooks;

namespace ScienceOfDL.Tests;

/// <summary>The science (Ccs, Grokking, LanguageModels, Results, Statistics and the root helpers) stays free of
/// notebook display: it references neither ScienceOfDL.Notebooks nor ScienceOfDL.Plots nor .NET Interactive nor
/// XPlot — in signatures, attributes or method bodies (read from the compiled IL, so a fully qualified name counts
/// too).</summary>
public class ArchitectureTests
{
    static readonly string[] ScienceNamespaces =
    [
        "ScienceOfDL.Ccs", "ScienceOfDL.Grokking", "ScienceOfDL.LanguageModels", "ScienceOfDL.Results",
        "ScienceOfDL.Statistics",
    ];

    static bool IsScience(Type t) => t.Namespace == "ScienceOfDL"
        || ScienceNamespaces.Any(ns => t.Namespace == ns || t.Namespace?.StartsWith(ns + ".") == true);

    static bool IsDisplay(Type t)
    {
        var assembly = t.Assembly.GetName().Name!;
        return t.Namespace?.StartsWith("ScienceOfDL.Notebooks") == true
               || t.Namespace?.StartsWith("ScienceOfDL.Plots") == true
               || assembly.StartsWith("Microsoft.DotNet.Interactive") || assembly.StartsWith("XPlot");
    }

    [Fact]
    public void Science_namespaces_do_not_reference_notebook_display()
    {
        var science = typeof(Repository).Assembly.GetTypes().Where(IsScience).ToList();
        Assert.Contains(science, t => t.Namespace == "ScienceOfDL.Grokking");
        Assert.Contains(science, t => t.Namespace == "ScienceOfDL.Ccs.Probing");
        var violations = science.SelectMany(t => References(t).Where(r => IsDisplay(r.Type))
            .Select(r => $"{t.FullName} ({r.Where}) uses {r.Type.FullName}")).Distinct().ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void The_check_sees_references_inside_method_bodies()
    {
        // Html.Register calls Formatter.Register only in its body; ChartDisplay names XPlot's PlotlyChart in a
        // signature.
        var html = References(typeof(Html)).Where(r => IsDisplay(r.Type)).ToList();
        Assert.Contains(html, r => r.Where == "Register"
                                   && r.Type.FullName == "Microsoft.DotNet.Interactive.Formatting.Formatter");
        Assert.Contains(References(typeof(ChartDisplay)), r => r.Type.Assembly.GetName().Name == "XPlot.Plotly");
        Assert.DoesNotContain(References(typeof(Seeds)), r => IsDisplay(r.Type));
    }

    /// <summary>Every type a type mentions: base, interfaces, attributes, members' signatures, locals, and each type,
    /// method or field that its IL touches, with the member it was found in.</summary>
    static IEnumerable<(Type Type, string Where)> References(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
                                 | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<(Type, string)>();
        void Add(Type? t, string where)
        {
            if (t is null) return;
            found.Add((t, where));
            if (t.HasElementType) Add(t.GetElementType(), where);
            if (t.IsGenericType && !t.IsGenericTypeDefinition) foreach (var a in t.GetGenericArguments()) Add(a, where);
        }
        Add(type.BaseType, "base");
        foreach (var i in type.GetInterfaces()) Add(i, "interface");
        foreach (var a in type.GetCustomAttributesData()) Add(a.AttributeType, "attribute");
        foreach (var f in type.GetFields(all)) Add(f.FieldType, f.Name);
        foreach (var p in type.GetProperties(all)) Add(p.PropertyType, p.Name);
        foreach (var e in type.GetEvents(all)) Add(e.EventHandlerType, e.Name);
        foreach (var m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (m is MethodInfo mi) Add(mi.ReturnType, m.Name);
            foreach (var p in m.GetParameters()) Add(p.ParameterType, m.Name);
            foreach (var a in m.GetCustomAttributesData()) Add(a.AttributeType, m.Name);
            var body = m.GetMethodBody();
            if (body is null) continue;
            foreach (var local in body.LocalVariables) Add(local.LocalType, m.Name);
            foreach (var member in Operands(m, body.GetILAsByteArray()!))
            {
                switch (member)
                {
                    case Type t: Add(t, m.Name); break;
                    case FieldInfo f: Add(f.DeclaringType, m.Name); Add(f.FieldType, m.Name); break;
                    case MethodBase callee:
                        Add(callee.DeclaringType, m.Name);
                        if (callee is MethodInfo c) Add(c.ReturnType, m.Name);
                        if (callee.IsGenericMethod) foreach (var g in callee.GetGenericArguments()) Add(g, m.Name);
                        break;
                }
            }
        }
        return found;
    }

    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The types, fields and methods named by a method body's token operands.</summary>
    static IEnumerable<MemberInfo> Operands(MethodBase method, byte[] il)
    {
        var typeArgs = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok
                    or OperandType.InlineType:
                    yield return method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs)!;
                    i += 4;
                    break;
                case OperandType.InlineSwitch: i += 4 + 4 * BitConverter.ToInt32(il, i); break;
                case OperandType.InlineI8 or OperandType.InlineR: i += 8; break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar: i += 2; break;
                default: i += 4; break;
            }
        }
    }
}
