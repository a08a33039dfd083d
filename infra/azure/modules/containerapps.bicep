// The Container Apps environment and the three apps. Api and Identity are stateless and scale out; the Portal
// (Blazor Server) keeps each browser on its replica (session affinity). Probes: /health/live (liveness), /health/ready
// (readiness: database and blob storage). /metrics answers on the management port 9464 only, to the environment's
// network (Pgo:Telemetry, docs/settings.md); the ingress routes only port 8080.
param prefix string
param location string
param logAnalyticsCustomerId string
@secure()
param logAnalyticsSharedKey string
param vaultUri string
param apiIdentityId string
param identityIdentityId string
param portalIdentityId string
@description('The container of the Portal\'s data-protection keys (Key Vault secret portal-keys: a SAS for it alone).')
param portalKeysContainer string
param registry string
param imageTag string
param minReplicas int
param maxReplicas int
param metricsNetwork string
param otlpEndpoint string = ''

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${prefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: { customerId: logAnalyticsCustomerId, sharedKey: logAnalyticsSharedKey }
    }
    zoneRedundant: false
  }
}

var domain = environment.properties.defaultDomain
var apiUrl = 'https://${prefix}-api.${domain}'
var identityUrl = 'https://${prefix}-identity.${domain}'
var portalUrl = 'https://${prefix}-portal.${domain}'

// Common to every app: production, the app port, the management port for /metrics, OTLP when given.
var common = concat([
  { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
  { name: 'ASPNETCORE_URLS', value: 'http://+:8080;http://+:9464' }
  { name: 'Pgo__Telemetry__MetricsPort', value: '9464' }
  { name: 'Pgo__Telemetry__MetricsNetworks__0', value: metricsNetwork }
], empty(otlpEndpoint) ? [] : [
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: otlpEndpoint }
])

var probes = [
  { type: 'Liveness', httpGet: { path: '/health/live', port: 8080 }, periodSeconds: 10, failureThreshold: 3 }
  { type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 }, periodSeconds: 10, failureThreshold: 3 }
  { type: 'Startup', httpGet: { path: '/health', port: 8080 }, periodSeconds: 5, failureThreshold: 60 }
]

func secret(vault string, name string, identity string) object => {
  name: name
  keyVaultUrl: '${vault}secrets/${name}'
  identity: identity
}

var scale = {
  minReplicas: minReplicas
  maxReplicas: maxReplicas
  rules: [{ name: 'http', http: { metadata: { concurrentRequests: '100' } } }]
}

resource api 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-api'
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${apiIdentityId}': {} } }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: { external: true, targetPort: 8080, transport: 'auto', allowInsecure: false }
      secrets: [
        secret(vaultUri, 'fhir-db', apiIdentityId)
        secret(vaultUri, 'teamspace-db', apiIdentityId)
        secret(vaultUri, 'blobs', apiIdentityId)
        secret(vaultUri, 'redis', apiIdentityId)
        secret(vaultUri, 'system-client-secret', apiIdentityId)
      ]
    }
    template: {
      containers: [{
        name: 'api'
        image: '${registry}/pgo-api:${imageTag}'
        resources: { cpu: json('1.0'), memory: '2Gi' }
        probes: probes
        env: concat(common, [
          { name: 'ConnectionStrings__Fhir', secretRef: 'fhir-db' }
          { name: 'ConnectionStrings__TeamSpace', secretRef: 'teamspace-db' }
          { name: 'Storage__Blobs', secretRef: 'blobs' }
          { name: 'SignalR__Redis', secretRef: 'redis' }
          { name: 'Pgo__Identity__Authority', value: identityUrl }
          { name: 'Pgo__Invitations__ClientSecret', secretRef: 'system-client-secret' }
          { name: 'Notifications__PortalUrl', value: portalUrl }
          // Several replicas on one database: refused at start if anything lived on one replica alone (docs/settings.md).
          { name: 'Pgo__Cluster__Enabled', value: 'true' }
        ])
      }]
      scale: scale
    }
  }
}

resource identity 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-identity'
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityIdentityId}': {} } }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: { external: true, targetPort: 8080, transport: 'auto', allowInsecure: false }
      secrets: [
        secret(vaultUri, 'identity-db', identityIdentityId)
        secret(vaultUri, 'portal-client-secret', identityIdentityId)
        secret(vaultUri, 'system-client-secret', identityIdentityId)
        secret(vaultUri, 'signing-key', identityIdentityId)
        secret(vaultUri, 'encryption-key', identityIdentityId)
      ]
    }
    template: {
      containers: [{
        name: 'identity'
        image: '${registry}/pgo-identity:${imageTag}'
        resources: { cpu: json('0.5'), memory: '1Gi' }
        probes: probes
        env: concat(common, [
          { name: 'ConnectionStrings__Identity', secretRef: 'identity-db' }
          { name: 'Pgo__Issuer', value: identityUrl }
          { name: 'Pgo__ForwardedHeaders', value: 'true' }
          { name: 'Pgo__Clients__Portal__Secret', secretRef: 'portal-client-secret' }
          { name: 'Pgo__Clients__Portal__BaseUrl', value: portalUrl }
          { name: 'Pgo__Clients__System__Secret', secretRef: 'system-client-secret' }
          { name: 'Pgo__Keys__Signing__0', secretRef: 'signing-key' }
          { name: 'Pgo__Keys__Encryption__0', secretRef: 'encryption-key' }
          // Several replicas: the data-protection keys (sign-in cookies) in Identity's database, shared (ADR 14).
          { name: 'Pgo__Cluster__Enabled', value: 'true' }
          { name: 'Pgo__Keys__Store', value: 'Database' }
        ])
      }]
      scale: scale
    }
  }
}

resource portal 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-portal'
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${portalIdentityId}': {} } }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      // Blazor Server keeps each circuit on one replica: sticky sessions.
      ingress: { external: true, targetPort: 8080, transport: 'auto', allowInsecure: false, stickySessions: { affinity: 'sticky' } }
      secrets: [
        secret(vaultUri, 'portal-client-secret', portalIdentityId)
        secret(vaultUri, 'portal-keys', portalIdentityId)
      ]
    }
    template: {
      containers: [{
        name: 'portal'
        image: '${registry}/pgo-portal:${imageTag}'
        resources: { cpu: json('1.0'), memory: '2Gi' }
        probes: probes
        env: concat(common, [
          { name: 'Pgo__Authority', value: identityUrl }
          { name: 'Pgo__ApiUrl', value: apiUrl }
          { name: 'Pgo__ClientSecret', secretRef: 'portal-client-secret' }
          // Several replicas share the data-protection keys (cookie, antiforgery, circuits) in blob storage.
          { name: 'Pgo__DataProtectionBlobs', secretRef: 'portal-keys' }
          { name: 'Pgo__DataProtectionContainer', value: portalKeysContainer }
          { name: 'Pgo__Cluster__Enabled', value: 'true' }
        ])
      }]
      scale: scale
    }
  }
}

output apiUrl string = apiUrl
output identityUrl string = identityUrl
output portalUrl string = portalUrl
