// Key Vault for every secret the apps read (connection strings, client secrets, signing keys). RBAC only: each app's
// managed identity is a Key Vault Secrets User on exactly the secrets it needs, nothing else.
param name string
param location string
@secure()
@description('Secret name -> value.')
param secretValues object
@description('Who reads which secret: [{ secret: name, principalId: id }].')
param access array

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for s in items(secretValues): {
  parent: vault
  name: s.key
  properties: { value: s.value }
}]

resource granted 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = [for a in access: {
  parent: vault
  name: a.secret
}]

// Key Vault Secrets User
var secretsUser = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

resource readers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (a, i) in access: {
  scope: granted[i]
  name: guid(vault.id, a.secret, a.principalId, secretsUser)
  properties: {
    roleDefinitionId: secretsUser
    principalId: a.principalId
    principalType: 'ServicePrincipal'
  }
  dependsOn: [secrets]
}]

output uri string = vault.properties.vaultUri
output name string = vault.name
