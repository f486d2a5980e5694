revision = 'old'
def upgrade(:
