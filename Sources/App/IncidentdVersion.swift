/// The release this build calls itself.
public enum IncidentdVersion {
    public static let current = "0.1.0"
}
