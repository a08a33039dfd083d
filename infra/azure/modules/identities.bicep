// One user-assigned managed identity per app: it reads that app's secrets from Key Vault and, for the Api, the blobs.
param prefix string
param location string

resource api 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-api-id'
  location: location
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-identity-id'
  location: location
}

resource portal 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-portal-id'
  location: location
}

output apiId string = api.id
output apiPrincipalId string = api.properties.principalId
output identityId string = identity.id
output identityPrincipalId string = identity.properties.principalId
output portalId string = portal.id
output portalPrincipalId string = portal.properties.principalId
