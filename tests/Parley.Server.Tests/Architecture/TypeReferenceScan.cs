using System.Reflection;
using System.Reflection.Emit;

namespace Parley.Server.Tests.Architecture;

/// <summary>
/// Where a type uses types that a predicate picks: its base type and interfaces, fields, properties, method and
/// constructor signatures and locals, and every type, field or method its method bodies name in their IL (calls,
/// object creations, field accesses, casts), for it and its nested types (lambdas, async state machines).
/// </summary>
internal static class TypeReferenceScan
{
    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IEnumerable<string> Find(Type type, Func<Type, bool> forbidden)
    {
        bool Mentions(Type? t) =>
            t is not null && (forbidden(t) || (t.HasElementType && Mentions(t.GetElementType())) ||
                (t.IsGenericType && !t.IsGenericTypeDefinition && t.GetGenericArguments().Any(Mentions)));

        if (Mentions(type.BaseType))
        {
            yield return $"base type {type.BaseType}";
        }
        foreach (var contract in type.GetInterfaces().Where(Mentions))
        {
            yield return $"interface {contract}";
        }
        foreach (var field in type.GetFields(Everything).Where(f => Mentions(f.FieldType)))
        {
            yield return $"field {field.Name}";
        }
        foreach (var property in type.GetProperties(Everything).Where(p => Mentions(p.PropertyType)))
        {
            yield return $"property {property.Name}";
        }
        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            foreach (var parameter in method.GetParameters().Where(p => Mentions(p.ParameterType)))
            {
                yield return $"{method.Name}({parameter.Name})";
            }
            if (method is MethodInfo info && Mentions(info.ReturnType))
            {
                yield return $"{method.Name} returns it";
            }
            if ((method.GetMethodBody()?.LocalVariables ?? []).Any(l => Mentions(l.LocalType)))
            {
                yield return $"{method.Name} (a local)";
            }
            foreach (var member in MembersNamedInBody(method))
            {
                var used = member switch
                {
                    Type t => t,
                    FieldInfo f => Mentions(f.FieldType) ? f.FieldType : f.DeclaringType,
                    MethodBase m => m.DeclaringType,
                    _ => null,
                };
                if (Mentions(used))
                {
                    yield return $"{method.Name} uses {used!.FullName}";
                    break;
                }
            }
        }
        foreach (var nested in type.GetNestedTypes(Everything))
        {
            foreach (var where in Find(nested, forbidden))
            {
                yield return $"{nested.Name}.{where}";
            }
        }
    }

    /// <summary>The members named by the operands of a method body's instructions.</summary>
    private static IEnumerable<MemberInfo> MembersNamedInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var value = (short)il[at++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[at++]);
            }
            var opCode = OpCodesByValue[value];
            var size = OperandSize(opCode.OperandType, il, at);
            if (opCode.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                MemberInfo? member = null;
                try
                {
                    member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    // A member of a generic context the resolver cannot rebuild: its signature was checked above.
                }
                if (member is not null)
                {
                    yield return member;
                }
            }
            at += size;
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
