// Parameters for prod. Secrets come from the deploying shell's environment (never from this file):
//   PGO_POSTGRES_PASSWORD, PGO_PORTAL_CLIENT_SECRET, PGO_SYSTEM_CLIENT_SECRET, PGO_SIGNING_KEY, PGO_ENCRYPTION_KEY
using 'main.bicep'

param environmentName = 'prod'
param registry = readEnvironmentVariable('PGO_REGISTRY', 'pgoregistry.azurecr.io')
param imageTag = readEnvironmentVariable('PGO_IMAGE_TAG', 'latest')
param minReplicas = 2
param maxReplicas = 10
param postgresSku = 'Standard_D4ds_v5'
param postgresTier = 'GeneralPurpose'
param postgresHighAvailability = true
param postgresGeoBackup = true
param redisSku = 'Standard'
param redisCapacity = 1

param postgresPassword = readEnvironmentVariable('PGO_POSTGRES_PASSWORD', '')
param portalClientSecret = readEnvironmentVariable('PGO_PORTAL_CLIENT_SECRET', '')
param systemClientSecret = readEnvironmentVariable('PGO_SYSTEM_CLIENT_SECRET', '')
param signingKey = readEnvironmentVariable('PGO_SIGNING_KEY', '')
param encryptionKey = readEnvironmentVariable('PGO_ENCRYPTION_KEY', '')
