// PGO on Azure (infra/README.md, "Deploying to Azure"): Container Apps for Api, Identity and Portal, PostgreSQL
// Flexible Server, Blob Storage, Azure Cache for Redis, Key Vault, one managed identity per app, Log Analytics.
// Deployed into one resource group:  az deployment group create -g <rg> -f main.bicep -p main.<env>.bicepparam
targetScope = 'resourceGroup'

@description('Short name of the environment: dev, test or prod.')
@allowed(['dev', 'test', 'prod'])
param environmentName string

param location string = resourceGroup().location

@description('Prefix of every resource name; letters and digits (storage account names allow nothing else).')
@minLength(3)
@maxLength(12)
param prefix string = 'pgo${environmentName}'

@description('Registry holding pgo-api, pgo-identity and pgo-portal (built by ./pgo images), e.g. myregistry.azurecr.io.')
param registry string
param imageTag string = 'latest'

param minReplicas int = 1
param maxReplicas int = 4

@description('PostgreSQL: compute, high availability (zone redundant) and geo-redundant backup.')
param postgresSku string = 'Standard_B2ms'
param postgresTier string = 'Burstable'
param postgresHighAvailability bool = false
param postgresGeoBackup bool = false

param redisSku string = 'Basic'
param redisCapacity int = 0

@description('The network (CIDR) from which the monitoring scrapes /metrics on port 9464.')
param metricsNetwork string = '10.0.0.0/8'

@description('OTLP collector for traces, metrics and logs; empty: none.')
param otlpEndpoint string = ''

@description('End of the SAS through which the Portal reads and adds its data-protection keys (its container only). Default: one year after this deployment; every redeploy issues a new SAS and moves the end, so redeploy within the year (or pass a date).')
param portalKeysSasExpiry string = dateTimeAdd(utcNow(), 'P1Y')

@secure()
param postgresPassword string
@secure()
@description('Secret of client pgo-portal (Identity and Portal), at least 32 characters.')
param portalClientSecret string
@secure()
@description('Secret of client pgo-system (Identity and the Api\'s invitation feed), at least 32 characters.')
param systemClientSecret string
@secure()
@description('PEM RSA private key that signs tokens (Pgo:Keys:Signing).')
param signingKey string
@secure()
@description('PEM RSA private key that encrypts tokens (Pgo:Keys:Encryption).')
param encryptionKey string

var storageName = toLower('${prefix}docs')
var portalKeysContainer = 'pgo-portal-keys'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: '${prefix}-logs', location: location }
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: { prefix: prefix, location: location }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageName
    location: location
    apiPrincipalId: identities.outputs.apiPrincipalId
    portalKeysContainerName: portalKeysContainer
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    name: '${prefix}-pg'
    location: location
    administratorPassword: postgresPassword
    skuName: postgresSku
    tier: postgresTier
    highAvailability: postgresHighAvailability
    geoRedundantBackup: postgresGeoBackup
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  params: { name: '${prefix}-redis', location: location, skuName: redisSku, capacity: redisCapacity }
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageName
  dependsOn: [storage]
}

resource redisCache 'Microsoft.Cache/redis@2024-11-01' existing = {
  name: '${prefix}-redis'
  dependsOn: [redis]
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: '${prefix}-logs'
  dependsOn: [monitoring]
}

// The Portal's data-protection keys (Pgo:DataProtectionBlobs): a service SAS for its own container, never the account
// key (that opens every family's documents). Read, create (a key blob is never overwritten) and list: what
// Portal/Hosting/SharedKeys.cs calls; HTTPS only.
var portalKeysSas = storageAccount.listServiceSas('2023-05-01', {
  canonicalizedResource: '/blob/${storageName}/${portalKeysContainer}'
  signedResource: 'c'
  signedPermission: 'rcl'
  signedProtocol: 'https'
  signedExpiry: portalKeysSasExpiry
}).serviceSasToken

func pg(host string, db string, user string, password string) string =>
  'Host=${host};Database=${db};Username=${user};Password=${password};SSL Mode=Require'

var apiPrincipal = identities.outputs.apiPrincipalId
var identityPrincipal = identities.outputs.identityPrincipalId
var portalPrincipal = identities.outputs.portalPrincipalId

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: '${prefix}-kv'
    location: location
    secretValues: {
      'fhir-db': pg(postgres.outputs.host, 'pgo_fhir', postgres.outputs.administratorLogin, postgresPassword)
      'teamspace-db': pg(postgres.outputs.host, 'pgo_teamspace', postgres.outputs.administratorLogin, postgresPassword)
      'identity-db': pg(postgres.outputs.host, 'pgo_identity', postgres.outputs.administratorLogin, postgresPassword)
      blobs: 'DefaultEndpointsProtocol=https;AccountName=${storageName};AccountKey=${storageAccount.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
      'portal-keys': 'BlobEndpoint=${storageAccount.properties.primaryEndpoints.blob};SharedAccessSignature=${portalKeysSas}'
      redis: '${redis.outputs.host}:${redis.outputs.sslPort},password=${redisCache.listKeys().primaryKey},ssl=True,abortConnect=False'
      'portal-client-secret': portalClientSecret
      'system-client-secret': systemClientSecret
      'signing-key': signingKey
      'encryption-key': encryptionKey
    }
    access: [
      { secret: 'fhir-db', principalId: apiPrincipal }
      { secret: 'teamspace-db', principalId: apiPrincipal }
      { secret: 'blobs', principalId: apiPrincipal }
      { secret: 'redis', principalId: apiPrincipal }
      { secret: 'system-client-secret', principalId: apiPrincipal }
      { secret: 'identity-db', principalId: identityPrincipal }
      { secret: 'portal-client-secret', principalId: identityPrincipal }
      { secret: 'system-client-secret', principalId: identityPrincipal }
      { secret: 'signing-key', principalId: identityPrincipal }
      { secret: 'encryption-key', principalId: identityPrincipal }
      { secret: 'portal-client-secret', principalId: portalPrincipal }
      { secret: 'portal-keys', principalId: portalPrincipal }
    ]
  }
}

module apps 'modules/containerapps.bicep' = {
  name: 'containerapps'
  params: {
    prefix: prefix
    location: location
    logAnalyticsCustomerId: monitoring.outputs.customerId
    logAnalyticsSharedKey: workspace.listKeys().primarySharedKey
    vaultUri: vault.outputs.uri
    apiIdentityId: identities.outputs.apiId
    identityIdentityId: identities.outputs.identityId
    portalIdentityId: identities.outputs.portalId
    registry: registry
    imageTag: imageTag
    minReplicas: minReplicas
    maxReplicas: maxReplicas
    metricsNetwork: metricsNetwork
    otlpEndpoint: otlpEndpoint
    portalKeysContainer: portalKeysContainer
  }
}

output apiUrl string = apps.outputs.apiUrl
output identityUrl string = apps.outputs.identityUrl
output portalUrl string = apps.outputs.portalUrl
