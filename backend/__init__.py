"""Backend of the cotton trading ERP: models, migrations, and the tools that keep them safe."""
