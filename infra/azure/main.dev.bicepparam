// Parameters for dev. Secrets come from the deploying shell's environment (never from this file):
//   PGO_POSTGRES_PASSWORD, PGO_PORTAL_CLIENT_SECRET, PGO_SYSTEM_CLIENT_SECRET, PGO_SIGNING_KEY, PGO_ENCRYPTION_KEY
using 'main.bicep'

param environmentName = 'dev'
param registry = readEnvironmentVariable('PGO_REGISTRY', 'pgoregistry.azurecr.io')
param imageTag = readEnvironmentVariable('PGO_IMAGE_TAG', 'latest')
param minReplicas = 1
param maxReplicas = 2

param postgresPassword = readEnvironmentVariable('PGO_POSTGRES_PASSWORD', '')
param portalClientSecret = readEnvironmentVariable('PGO_PORTAL_CLIENT_SECRET', '')
param systemClientSecret = readEnvironmentVariable('PGO_SYSTEM_CLIENT_SECRET', '')
param signingKey = readEnvironmentVariable('PGO_SIGNING_KEY', '')
param encryptionKey = readEnvironmentVariable('PGO_ENCRYPTION_KEY', '')
