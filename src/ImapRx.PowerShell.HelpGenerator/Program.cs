using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

// Usage: HelpGenerator <module bin> <source MAML> <output MAML>. See the project file for what comes from where.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ImapRx.PowerShell.HelpGenerator <module bin directory> <source MAML> <output MAML>");
    return 2;
}

var (bin, sourcePath, outputPath) = (args[0], args[1], args[2]);
AppDomain.CurrentDomain.AssemblyResolve += (_, e) =>
{
    var candidate = Path.Combine(bin, new AssemblyName(e.Name).Name + ".dll");
    return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
};
var assembly = Assembly.LoadFrom(Path.Combine(bin, "ImapRx.PowerShell.dll"));
var docs = XDocument.Load(Path.Combine(bin, "ImapRx.PowerShell.xml"));
var source = XDocument.Load(sourcePath);

XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
XNamespace dev = "http://schemas.microsoft.com/maml/dev/2004/10";
var cmdlets = assembly.GetExportedTypes()
    .Select(t => (Type: t, Attribute: t.GetCustomAttribute<CmdletAttribute>()))
    .Where(c => c.Attribute is not null)
    .ToDictionary(c => $"{c.Attribute!.VerbName}-{c.Attribute.NounName}", c => c.Type, StringComparer.OrdinalIgnoreCase);
var problems = new List<string>();

foreach (var element in source.Root!.Elements(command + "command"))
{
    var name = element.Element(command + "details")!.Element(command + "name")!.Value.Trim();
    if (!cmdlets.Remove(name, out var type) || type is null)
    {
        problems.Add($"{name}: in the help source but no such cmdlet");
        continue;
    }

    var metadata = new CommandMetadata(type);
    var instance = Activator.CreateInstance(type);
    var parameters = metadata.Parameters.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    var sets = parameters.SelectMany(p => p.ParameterSets.Keys).Where(s => s != ParameterAttribute.AllParameterSets).Distinct().ToList();
    if (sets.Count == 0)
    {
        sets.Add(ParameterAttribute.AllParameterSets);
    }

    string Description(ParameterMetadata parameter)
    {
        var property = type.GetProperty(parameter.Name)!;
        var text = Summary($"P:{property.DeclaringType!.FullName}.{property.Name}");
        if (text.Length == 0)
        {
            problems.Add($"{name} -{parameter.Name}: no XML doc comment");
        }

        return text;
    }

    XElement Parameter(ParameterMetadata parameter, ParameterSetMetadata set)
    {
        var pipeline = (set.ValueFromPipeline, set.ValueFromPipelineByPropertyName) switch
        {
            (true, true) => "True (ByValue, ByPropertyName)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        };
        var typeName = TypeName(parameter.ParameterType);
        var property = type.GetProperty(parameter.Name)!;
        var value = property.GetValue(instance);
        var defaultValue = value switch
        {
            null => "None",
            SwitchParameter s => s.IsPresent.ToString(),
            Array { Length: 0 } => "None",
            Array a => string.Join(", ", a.Cast<object>()),
            string { Length: 0 } => "None",
            _ => value.ToString() ?? "None",
        };
        if (defaultValue == "0" && !set.IsMandatory)
        {
            defaultValue = "None";
        }

        return new XElement(command + "parameter",
            new XAttribute("required", set.IsMandatory.ToString().ToLowerInvariant()),
            new XAttribute("variableLength", parameter.ParameterType.IsArray.ToString().ToLowerInvariant()),
            new XAttribute("globbing", (property.GetCustomAttribute<SupportsWildcardsAttribute>() is not null).ToString().ToLowerInvariant()),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", set.Position == int.MinValue ? "named" : set.Position.ToString()),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(maml + "name", parameter.Name),
            new XElement(maml + "description", new XElement(maml + "para", Description(parameter))),
            parameter.SwitchParameter ? null : new XElement(command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), typeName),
            new XElement(dev + "type", new XElement(maml + "name", typeName), new XElement(maml + "uri")),
            new XElement(dev + "defaultValue", defaultValue));
    }

    var syntax = new XElement(command + "syntax", sets.Select(set =>
        new XElement(command + "syntaxItem",
            new XElement(maml + "name", name),
            parameters
                .Select(p => (Parameter: p, Set: p.ParameterSets.TryGetValue(set, out var s) ? s : p.ParameterSets.GetValueOrDefault(ParameterAttribute.AllParameterSets)))
                .Where(p => p.Set is not null)
                .OrderBy(p => p.Set!.Position == int.MinValue ? int.MaxValue : p.Set.Position)
                .Select(p => Parameter(p.Parameter, p.Set!)))));
    var parameterSection = new XElement(command + "parameters",
        parameters.Select(p => Parameter(p, p.ParameterSets.Values.OrderByDescending(s => s.IsMandatory).First())));
    var outputs = type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type).Select(t => t.Name).ToList();
    var returnValues = new XElement(command + "returnValues", outputs.Select(o => new XElement(command + "returnValue",
        new XElement(dev + "type", new XElement(maml + "name", o), new XElement(maml + "uri")),
        new XElement(maml + "description", new XElement(maml + "para", Summary($"T:{o}"))))));

    element.Elements(command + "syntax").Remove();
    element.Elements(command + "parameters").Remove();
    element.Elements(command + "returnValues").Remove();
    var examples = element.Element(command + "examples") ?? throw new InvalidOperationException($"{name}: the help source has no examples");
    examples.AddBeforeSelf(syntax, parameterSection, returnValues);
}

problems.AddRange(cmdlets.Keys.Select(k => $"{k}: a cmdlet without help in {sourcePath}"));
if (problems.Count > 0)
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine($"error: help: {problem}");
    }

    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
source.Save(outputPath);
Console.WriteLine($"Help written to {outputPath}");
return 0;

string Summary(string member)
{
    var summary = docs.Root!.Element("members")!.Elements("member").FirstOrDefault(m => (string?)m.Attribute("name") == member)?.Element("summary");
    if (summary is null)
    {
        return string.Empty;
    }

    var text = string.Concat(summary.Nodes().Select(n => n switch
    {
        XText t => t.Value,
        XElement { Name.LocalName: "see" } see => ((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? string.Empty).Split('.', ':').Last(),
        XElement { Name.LocalName: "paramref" } p => (string?)p.Attribute("name") ?? string.Empty,
        XElement e => e.Value,
        _ => string.Empty,
    }));
    return Regex.Replace(text, @"\s+", " ").Trim();
}

static string TypeName(Type type)
{
    if (type == typeof(SwitchParameter))
    {
        return "SwitchParameter";
    }

    var underlying = Nullable.GetUnderlyingType(type);
    return underlying is not null ? TypeName(underlying) : type.IsArray ? TypeName(type.GetElementType()!) + "[]" : type.Name;
}
