// n8n loads the node and credential through the "n8n" section of package.json; this entry only
// lets `require('n8n-nodes-pomelo')` resolve.
module.exports = {};
