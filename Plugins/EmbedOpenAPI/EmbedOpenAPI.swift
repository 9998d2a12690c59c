import PackagePlugin

/// Embeds docs/openapi.yaml (and its JSON form) into the target it is applied to, rebuilt
/// whenever the document changes: `GET /openapi.yaml` and `GET /openapi.json` serve it.
@main
struct EmbedOpenAPI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let document = context.package.directoryURL.appending(path: "docs/openapi.yaml")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedOpenAPI.swift")
        return [
            .buildCommand(
                displayName: "Embedding docs/openapi.yaml",
                executable: try context.tool(named: "OpenAPIEmbedder").url,
                arguments: [document.path(), output.path()],
                inputFiles: [document],
                outputFiles: [output])
        ]
    }
}
