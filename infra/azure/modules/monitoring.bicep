// Log Analytics: the Container Apps environment sends the apps' console logs (JSON, with the request id) here.
param name string
param location string
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: name
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

output workspaceId string = workspace.id
output customerId string = workspace.properties.customerId
