// Azure Database for PostgreSQL Flexible Server with the three databases (ConnectionStrings:Fhir, :TeamSpace,
// :Identity). Zone-redundant high availability and geo-redundant backup in prod (parameters).
param name string
param location string
param administratorLogin string = 'pgoadmin'
@secure()
param administratorPassword string
param skuName string = 'Standard_D2ds_v5'
param tier string = 'GeneralPurpose'
param storageSizeGB int = 128
param highAvailability bool = false
param geoRedundantBackup bool = false
param backupRetentionDays int = 14

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  sku: { name: skuName, tier: tier }
  properties: {
    version: '16'
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    storage: { storageSizeGB: storageSizeGB, autoGrow: 'Enabled' }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: geoRedundantBackup ? 'Enabled' : 'Disabled'
    }
    highAvailability: { mode: highAvailability ? 'ZoneRedundant' : 'Disabled' }
  }
}

// Container Apps reach the server over the Azure backbone; no other address is allowed in.
resource azureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: server
  name: 'AllowAzureServices'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource databases 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = [for db in ['pgo_fhir', 'pgo_teamspace', 'pgo_identity']: {
  parent: server
  name: db
  properties: { charset: 'UTF8', collation: 'en_US.utf8' }
}]

output host string = server.properties.fullyQualifiedDomainName
output administratorLogin string = administratorLogin
