using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>
    /// Loads LlmSize.Data and YamlDotNet from the module's dependencies/ folder so that another module's YamlDotNet
    /// (powershell-yaml, platyPS, Az.Aks ship other versions) cannot clash with ours.
    /// PowerShell 7 (.NET Core): both assemblies go into a private AssemblyLoadContext; when the default context fails
    /// to find LlmSize.Data (it is not next to this dll) the resolve handler hands out the private copy. YamlDotNet is
    /// then only ever seen by LlmSize.Data, inside the private context.
    /// Windows PowerShell 5.1 (.NET Framework, no load contexts): the handler loads from dependencies/ by path.
    /// Pattern: Microsoft Learn, "Resolving PowerShell module assembly dependency conflicts", and PowerShell/PSResourceGet
    /// ModuleInitAndCleanup.cs. The load context type is reached by reflection because this assembly targets
    /// netstandard2.0, which does not expose System.Runtime.Loader.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string s_dependencies =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies");
        private static readonly object s_gate = new object();
        private static Assembly? s_data;

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            if (!string.Equals(name.Name, "LlmSize.Data", StringComparison.Ordinal)) return null;
            lock (s_gate)
            {
                return s_data ??= LoadDataAssembly();
            }
        }

        private static Assembly LoadDataAssembly()
        {
            string data = Path.Combine(s_dependencies, "LlmSize.Data.dll");
            string yaml = Path.Combine(s_dependencies, "YamlDotNet.dll");
            Type? alcType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false);
            if (alcType == null)
            {
                // .NET Framework: no isolation possible; LoadFrom resolves YamlDotNet next to LlmSize.Data.
                return Assembly.LoadFrom(data);
            }
            // new AssemblyLoadContext("LlmSize", isCollectible: false)
            object alc = Activator.CreateInstance(alcType, "LlmSize", false)!;
            var loadFromPath = alcType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
            // YamlDotNet first: an assembly already in a context's cache satisfies references from that context, so
            // LlmSize.Data binds to our YamlDotNet even when the default context holds another version.
            loadFromPath.Invoke(alc, new object[] { yaml });
            // LlmSize.Core must be the same assembly the cmdlets use (shared types): hand out the default context's copy.
            var resolving = alcType.GetEvent("Resolving")!;
            var handler = Delegate.CreateDelegate(resolving.EventHandlerType!, typeof(ModuleInitializer).GetMethod(nameof(ResolveInPrivateContext), BindingFlags.NonPublic | BindingFlags.Static)!);
            resolving.AddEventHandler(alc, handler);
            return (Assembly)loadFromPath.Invoke(alc, new object[] { data })!;
        }

        // Signature matches Func<AssemblyLoadContext, AssemblyName, Assembly?> through parameter contravariance.
        private static Assembly? ResolveInPrivateContext(object context, AssemblyName name)
        {
            if (string.Equals(name.Name, "LlmSize.Core", StringComparison.Ordinal)) return typeof(LlmSize.Core.Units.ByteSize).Assembly;
            return null;
        }
    }
}
