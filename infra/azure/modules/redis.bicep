// Azure Cache for Redis: the SignalR backplane and the real-time wake-ups between Api instances (SignalR:Redis).
param name string
param location string
param skuName string = 'Standard'
param capacity int = 1

resource redis 'Microsoft.Cache/redis@2024-11-01' = {
  name: name
  location: location
  properties: {
    sku: { name: skuName, family: 'C', capacity: capacity }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

output name string = redis.name
output host string = redis.properties.hostName
output sslPort int = redis.properties.sslPort
